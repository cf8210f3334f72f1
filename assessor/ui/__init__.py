"""Widget applications behind the notebooks (ipywidgets): the logic lives here, the notebooks stay short.

Each application is an `ipywidgets.VBox` subclass that owns its controls, calls the pipeline and renders with the
pure helpers of `assessor.ui.render`; set a control's `.value` and the application updates synchronously, which is
how the unit tests and Voilà drive them.
"""

from __future__ import annotations

from .audit import AuditApp
from .contract import ContractApp
from .portfolio import PortfolioApp
from .review import VendorReviewApp
from .workbench import WorkbenchApp

__all__ = ["AuditApp", "ContractApp", "PortfolioApp", "VendorReviewApp", "WorkbenchApp"]
