"""auth0-m2m: Auth0 machine-to-machine credentials as code.

The toolkit's own code: typed stack settings, the program that wires them to the Pulumi
components, the command line, the local Auth0 tenant and the consumers of the outputs.
"""

__version__ = "0.1.0"
