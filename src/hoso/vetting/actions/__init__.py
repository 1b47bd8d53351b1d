"""Every change to vetting records, one module a topic (as Zulip's zerver/actions/): each
action checks the policy, runs in one transaction and writes its audit event there."""

from hoso.vetting.actions import cases, catalogue, clock, help, papers, plan, requests

__all__ = ["cases", "catalogue", "clock", "help", "papers", "plan", "requests"]
