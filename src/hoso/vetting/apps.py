from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    name = "hoso.vetting"
    label = "vetting"
    verbose_name = _("Vetting cases")

    def ready(self) -> None:
        from hoso.documents import owners
        from hoso.notices import due
        from hoso.people import hooks as people_hooks
        from hoso.vetting.due import CASES, HELP, REQUESTS
        from hoso.vetting.help import OBJECT_TYPE as HELP_OBJECT
        from hoso.vetting.help import may_take_over
        from hoso.vetting.models import Case, HelpRequest
        from hoso.vetting.reads import case_subjects, person_cases
        from hoso.workcal import horizons

        # A request slip or a reply tells what the case is about: a restricted case's papers
        # are for its team and the heads above, like the case.
        owners.register(
            "vetting.case", Case.objects.visible_to, url_name="case-detail", label="Hồ sơ thẩm tra"
        )
        # A request for verification help and its answer are seen by those who see the request;
        # a letter a clerk registered may become one.
        owners.register(
            HELP_OBJECT,
            HelpRequest.objects.visible_to,
            url_name="help-detail",
            label="Đề nghị xác minh giúp",
        )
        owners.register_intake(
            _("Make it a request for verification help"), "help-new", may_take_over
        )
        # The worker notifies the team of cases near or past their limit and of requests
        # past their reply date; the officer in charge of a request for help before and after
        # its due date.
        due.register(CASES)
        due.register(REQUESTS)
        due.register(HELP)
        # The longest deadlines the worker checks the working-day calendar against.
        from hoso.vetting import clock

        horizons.register("vetting", clock.periods)
        # The subject of a case is a person its readers may see (person page, duplicates).
        people_hooks.PERSON_SOURCES.append(case_subjects)
        people_hooks.person_section(20)(person_cases)
        # `hoso synth --full`: cases with their requests, replies and conclusions.
        from hoso.vetting import synth

        people_hooks.synth_stage(synth.STAGE)
        from hoso.vetting.synth import help as synth_help

        people_hooks.synth_stage(synth_help.STAGE)
