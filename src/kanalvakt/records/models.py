"""Records: registration (diarieföring), retention and disposal, legal hold, access requests.
Each part keeps its models in its own module; Django finds them through this one."""

from kanalvakt.records.access_models import *  # noqa: F403
from kanalvakt.records.registration_models import *  # noqa: F403
from kanalvakt.records.retention_models import *  # noqa: F403
