import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { errorSummary, isDataException, operatorMessage, sqlStateOf } from "./error-summary";

const postgresError = (code: string, message: string) => Object.assign(new Error(message), { name: "PostgresError", code });
const failedQuery = (code: string, message: string) =>
  new DrizzleQueryError('select * from "user" where email = $1', ["someone@example.com"], postgresError(code, message));

describe("describing an unexpected error for a log line", () => {
  it("names a failed query by class and SQLSTATE, and never repeats its parameters or the database's message", () => {
    const error = failedQuery("22P02", 'invalid input syntax for type uuid: "someone@example.com"');
    expect(error.message).toContain("someone@example.com");
    expect(errorSummary(error)).toBe("DrizzleQueryError (code 22P02)");
    expect(errorSummary(postgresError("22021", "invalid byte sequence"))).toBe("PostgresError (code 22021)");
  });

  it("keeps a system error's code, and of anything else only its class", () => {
    expect(errorSummary(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(
      "Error (code ECONNREFUSED)",
    );
    expect(errorSummary(new TypeError("Cannot read properties of undefined (reading 'secret')"))).toBe("TypeError");
    expect(errorSummary(Object.assign(new Error("x"), { code: "a code with spaces" }))).toBe("Error");
    expect(errorSummary("a thrown string")).toBe("string");
  });

  it("reads a SQLSTATE only where it is one, and calls class 22 the caller's bad input", () => {
    expect(sqlStateOf(failedQuery("23505", "duplicate key"))).toBe("23505");
    expect(sqlStateOf(Object.assign(new Error("broken pipe"), { code: "EPIPE" }))).toBeUndefined();
    expect(isDataException(failedQuery("22021", "invalid byte sequence"))).toBe(true);
    expect(isDataException(failedQuery("42P01", "relation does not exist"))).toBe(false);
    expect(isDataException(new Error("no code"))).toBe(false);
  });
});

describe("an error message for an operator", () => {
  it("keeps a message that says what to fix, but not a failed query's", () => {
    expect(operatorMessage(new Error("ROTOR_PUBLIC_URL must be an absolute http(s) URL"))).toBe(
      "ROTOR_PUBLIC_URL must be an absolute http(s) URL",
    );
    expect(operatorMessage(failedQuery("22P02", "invalid input syntax"))).toBe("a database query failed: DrizzleQueryError (code 22P02)");
  });

  it("keeps the database's own words when it refuses the connection (a setting to fix, not data)", () => {
    expect(operatorMessage(postgresError("28P01", 'password authentication failed for user "rotor"'))).toBe(
      'the database refused the connection: password authentication failed for user "rotor"',
    );
    expect(operatorMessage(failedQuery("3D000", 'database "rotor_x" does not exist'))).toBe(
      'the database refused the connection: database "rotor_x" does not exist',
    );
  });
});
