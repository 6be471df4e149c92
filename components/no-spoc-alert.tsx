/**
 * Shown on the Home page and the API tab while the organisation has no active designated user
 * (SPOC): nobody can rotate its secrets until the platform operator designates one (issue 12).
 */
export function NoSpocAlert({ organisationName }: { organisationName: string }) {
  return (
    <div role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
      <p className="font-semibold">Nobody can rotate secrets: {organisationName} has no designated user (SPOC).</p>
      <p className="text-sm">Secrets and keys are changed only by the designated user. Ask the platform operator to designate one.</p>
    </div>
  );
}
