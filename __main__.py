"""Entry point of the Pulumi project: `pulumi up` runs this file, which only calls the shared program."""

from auth0_m2m.program import pulumi_program

pulumi_program()
