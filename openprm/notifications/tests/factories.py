import factory

from openprm.notifications.kinds import TASK_REMINDER
from openprm.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    class Meta:
        model = Notification

    recipient = factory.SubFactory("openprm.accounts.tests.factories.UserFactory")
    organization = factory.LazyAttribute(lambda o: o.recipient.organization)
    kind = TASK_REMINDER
    cause = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Reminder {n}")
