"""/api/v1/orglife: meetings, compliance, appraisal and talks (one router per module)."""
from ninja import Router

from dangjian.orglife.api_compliance import router as compliance
from dangjian.orglife.api_meetings import router as meetings
from dangjian.orglife.api_review import router as review

router = Router()
router.add_router("/meetings", meetings)
router.add_router("/compliance", compliance)
router.add_router("", review)
