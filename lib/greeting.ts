/**
 * The Home page's heading. A designated user is often a service-account address (seed 001; docs/domain.md,
 * "Who uses it") named after the organisation or its team, such as "Northwind API team (SPOC)":
 * greeting that account as "Welcome, Northwind" reads as a mistake, so only a name that looks like a
 * person's is used, by its first word; anything else gets the plain heading.
 */
const NOT_A_PERSON = /\b(api|team|service|services|system|systems|bot|rotation|automation|integration|admin|support|ops|operations)\b/i;

export function givenName(name: string | null, organisationName: string): string | null {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return null;
  if (/[()@0-9_]/.test(name ?? "") || NOT_A_PERSON.test(name ?? "")) return null;
  const organisationWords = new Set(organisationName.toLowerCase().split(/\s+/));
  if (organisationWords.has(first.toLowerCase())) return null;
  return first;
}

/** "Welcome, Alice" for a person, "Welcome" for a service account or someone without a name. */
export function welcomeHeading(name: string | null, organisationName: string): string {
  const given = givenName(name, organisationName);
  return given ? `Welcome, ${given}` : "Welcome";
}
