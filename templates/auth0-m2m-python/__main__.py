"""The Pulumi program: auth0-m2m's config-driven program, configured by each stack's auth0-m2m: keys.

To declare the components yourself instead, see "Use it in your own project" in auth0-m2m's README
(`from auth0_m2m.components import Api, M2MIntegration, export_integrations`).
"""

from auth0_m2m.program import pulumi_program

pulumi_program()
