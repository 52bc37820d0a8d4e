"""Background jobs: one mechanism (django-tasks with its database backend) for every
work a request must not wait for, run by `lodestar worker`."""
