"""The demo county of ``make run`` and ``make up``: one description, seeded by every service.

Each service seeds only its own data (``Service.seed_demo(county)``); they agree because they
all read the ids from here. Modelled on Kreis Höxter (DOMAIN.md §1): ten towns in four cluster
regions, the county's coordinating office, three welfare providers, the immigration office and
the Jobcenter. All people in it are invented.
"""

from .county import COUNTY, DEMO_PASSWORD, Area, DemoCounty, Organisation, User

__all__ = ["COUNTY", "DEMO_PASSWORD", "Area", "DemoCounty", "Organisation", "User"]
