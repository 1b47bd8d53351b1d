from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hoso.reports"
    label = "reports"
    verbose_name = _("Periodic reports and statistics")

    def ready(self) -> None:
        from hoso.documents import owners
        from hoso.orgs import hooks as org_hooks
        from hoso.people import hooks as people_hooks
        from hoso.reports import counters, figures, persons, reads
        from hoso.reports.actions import OBJECT_TYPE
        from hoso.reports.models import Report, RequestPerson

        figures.register_all()
        # A submitted report's numbered document is seen in the outgoing register by those
        # who see the report.
        owners.register(
            OBJECT_TYPE,
            Report.objects.visible_to,
            url_name="report-kept",
            label="Báo cáo",
        )
        # The member count frozen in a submitted quarterly report is the count reported for
        # the reconciliation (no second typing).
        people_hooks.REPORTED_COUNTS.append(reads.reported_counts)
        # The casework counters: kept by the models' writes, moved with a moved subtree,
        # rebuilt and checked with the member counts.
        counters.connect()
        org_hooks.MOVED.append(counters.moved)
        people_hooks.COUNTERS.append(("casework", counters.rebuild, counters.differences))
        persons.connect()
        org_hooks.PATH_COPIES.append((RequestPerson, "org_path"))
        people_hooks.COUNTERS.append(("request persons", persons.rebuild, persons.differences))
        post_migrate.connect(counters.fill_if_empty, sender=self)
        post_migrate.connect(persons.fill_if_empty, sender=self)
