"""What this SCIM server says it serves (discovery): the standard User and Group schemas cut
to the attributes Lodestar keeps, so that an identity provider (and a compliance checker)
never sends a value that would be silently dropped."""

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    ETag,
    Filter,
    Group,
    Patch,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

# attribute -> the sub-attributes kept (None: a simple attribute)
USER_ATTRIBUTES = {
    "userName": None,
    "name": {"givenName", "familyName"},
    "active": None,
    "emails": {"value"},
    "groups": {"value", "$ref", "display"},
}
GROUP_ATTRIBUTES = {"displayName": None, "members": {"value", "$ref"}}
MAX_RESULTS = 1000


# Every person here is active or not: the state cannot be removed, only set.
ALWAYS_SET = {"active"}


def cut(schema: Schema, kept: dict[str, set[str] | None]) -> Schema:
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in kept:
            continue
        if attribute.name in ALWAYS_SET:
            attribute = attribute.model_copy(update={"required": True})
        subs = kept[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute = attribute.model_copy(
                update={"sub_attributes": [s for s in attribute.sub_attributes if s.name in subs]}
            )
        attributes.append(attribute)
    return schema.model_copy(update={"attributes": attributes})


def schemas() -> list[Schema]:
    return [cut(User.to_schema(), USER_ATTRIBUTES), cut(Group.to_schema(), GROUP_ATTRIBUTES)]


def resource_types() -> list[ResourceType]:
    return [ResourceType.from_resource(User), ResourceType.from_resource(Group)]


def service_provider_config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token an admin made with `lodestar scim create NAME`.",
            )
        ],
    )


def dumped(model, location: str) -> dict:
    data = model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    data.setdefault("meta", {})["location"] = location
    return data
