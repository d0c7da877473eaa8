"""Choices of the chains app: link stages, key-item kinds and states, partner types, the three
firsts (benchmark kinds and management areas live in `orgs.benchmarks`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


STAGE_ORDER = {Stage.UPSTREAM: 0, Stage.MIDSTREAM: 1, Stage.DOWNSTREAM: 2}


class ItemKind(models.TextChoices):
    PRODUCT = "product", _("Key product")
    TECHNOLOGY = "technology", _("Key technology")
    MATERIAL = "material", _("Basic material")


class ItemStatus(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic capacity")
    SINGLE_SOURCE = "single_source", _("Single source")
    FOREIGN = "foreign", _("Foreign-dependent")
    BOTTLENECK = "bottleneck", _("Bottleneck")


class PartnerType(models.TextChoices):
    CENTRAL_SOE = "central_soe", _("Central SOE")
    LOCAL_SOE = "local_soe", _("Local SOE")
    PRIVATE = "private", _("Private firm")
    SME = "sme", _("SME")


class ParticipantRole(models.TextChoices):
    LEADER = "leader", _("Chain leader")
    MEMBER = "member", _("Member")


class Origin(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")


class FirstCategory(models.TextChoices):
    FIRST_SET = "first_set", _("First set of equipment")
    FIRST_BATCH = "first_batch", _("First batch of materials")
    FIRST_VERSION = "first_version", _("First version of software")
