"""Dangjian (党建): smart party-building work platform for the non-public sector."""
