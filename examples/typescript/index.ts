// One auth0-m2m integration declared from TypeScript with the auth0-m2m component package's generated SDK
// (`auth0-m2m:index:Integration`, README "From YAML / TypeScript"); the same integration as examples/yaml.
import * as auth0m2m from "@pulumi/auth0-m2m";

const billingSync = new auth0m2m.Integration("billing-sync", {
    api: {
        identifier: "https://api.example.com/billing",
        name: "Billing API",
        scopes: {
            "read:invoices": "Read invoices",
            "write:invoices": "Create invoices",
        },
    },
    scopes: ["read:invoices"],
    organization: "acme",
    organizationUsage: "require",
    authMethod: "client_secret_post",
    description: "Billing sync (TypeScript)",
});

// The contract the consumer commands read (docs/outputs.md): `auth0-m2m outputs | verify | export --stack S`.
export const integrations = { "billing-sync": billingSync.connection };
