"""Our own small H5P content type, CDS.ChoiceQuiz 1.0, and a builder of packages that use it (for
the demo data and the browser tests)."""

from .build import DEMO_LIBRARY, h5p_demo_package_build

__all__ = ["DEMO_LIBRARY", "h5p_demo_package_build"]
