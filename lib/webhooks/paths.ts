/** Where an endpoint's page is in the portal: under the organisation's Manage area, or the Platform area. */
export function endpointPath(slug: string | null, endpointId: string): string {
  return slug === null ? `/platform/webhooks/${endpointId}` : `/orgs/${slug}/manage/webhooks/${endpointId}`;
}

export function endpointsPath(slug: string | null): string {
  return slug === null ? "/platform/webhooks" : `/orgs/${slug}/manage/webhooks`;
}
