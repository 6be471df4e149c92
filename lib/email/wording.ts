/** How e-mails word time and credentials, shared by the scheduler (at enqueue) and delivery (at send). */

/** "today / tomorrow / in N days", counted from the day the mail goes out. */
export function whenItExpires(daysLeft: number): string {
  return daysLeft <= 0 ? "today" : daysLeft === 1 ? "tomorrow" : `in ${daysLeft} days`;
}

export function reminderSubject(credential: "secret" | "key", client: string, daysLeft: number): string {
  return `Your ${credential === "secret" ? "client secret" : "public key"} for ${client} expires ${whenItExpires(daysLeft)}`;
}

export function missedSuccessorSubject(client: string): string {
  return `A new client secret for ${client} was issued after the old one expired`;
}
