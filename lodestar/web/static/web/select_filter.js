// Form pickers marked "filterable" (a select, or a list of ticks): a search box above
// the picker hides the choices whose text, or whose group's name, does not hold what
// is typed. Chosen ones always stay in sight. Without JavaScript the picker is whole.
(function () {
  "use strict";

  function choicesOf(picker) {
    if (picker.tagName === "SELECT") {
      return Array.prototype.map.call(picker.options, function (option) {
        return { node: option, text: option.text, chosen: function () { return option.selected; } };
      });
    }
    return Array.prototype.map.call(picker.querySelectorAll("input"), function (input) {
      return {
        node: input.closest("div"),
        text: input.parentNode.textContent,
        chosen: function () { return input.checked; },
      };
    });
  }

  function groupsOf(picker) {
    if (picker.tagName === "SELECT") {
      return Array.prototype.map.call(picker.querySelectorAll("optgroup"), function (group) {
        return { node: group, name: group.label, members: group.querySelectorAll("option") };
      });
    }
    return Array.prototype.filter.call(picker.children, function (child) {
      return child.firstElementChild && child.firstElementChild.tagName === "LABEL" &&
        !child.firstElementChild.querySelector("input");
    }).map(function (group) {
      return {
        node: group,
        name: group.firstElementChild.textContent,
        members: group.querySelectorAll("div"),
      };
    });
  }

  function narrow(picker, words) {
    var wanted = words.trim().toLowerCase();
    var groups = groupsOf(picker);
    var groupOf = new Map();
    groups.forEach(function (group) {
      Array.prototype.forEach.call(group.members, function (member) { groupOf.set(member, group); });
    });
    var shownIn = new Map();
    choicesOf(picker).forEach(function (choice) {
      var group = groupOf.get(choice.node);
      var haystack = (choice.text + " " + (group ? group.name : "")).toLowerCase();
      var show = !wanted || choice.chosen() || haystack.indexOf(wanted) !== -1;
      choice.node.hidden = !show;
      if (show && group) shownIn.set(group, true);
    });
    groups.forEach(function (group) { group.node.hidden = !shownIn.get(group); });
  }

  function addFilter(picker) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.placeholder = "Filter…";
    var field = picker.closest(".field");
    var caption = field && field.querySelector("label, legend");
    box.setAttribute("aria-label", "Filter " + (caption ? caption.textContent.replace("*", "").trim() : "the choices"));
    if (picker.id) box.setAttribute("aria-controls", picker.id);
    box.addEventListener("input", function () { narrow(picker, box.value); });
    // Enter in the box filters; it must not send the form half-filled.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    picker.parentNode.insertBefore(box, picker);
  }

  document.querySelectorAll("select.filterable, div.filterable").forEach(addFilter);
})();
