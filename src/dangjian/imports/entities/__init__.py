"""One module per importable entity: SPEC, an importer class, and the export row."""
from dangjian.imports.entities import members, organizations, regions, units

MODULES = {"regions": regions, "units": units, "organizations": organizations, "members": members}
IMPORTERS = {
    "regions": regions.RegionImporter,
    "units": units.UnitImporter,
    "organizations": organizations.OrganizationImporter,
    "members": members.MemberImporter,
}


def spec_for(entity: str):
    return MODULES[entity].SPEC
