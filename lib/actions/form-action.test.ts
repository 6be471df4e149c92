import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/errors";

const revalidated = vi.hoisted(() => [] as unknown[][]);
vi.mock("next/cache", () => ({ revalidatePath: (...args: unknown[]) => revalidated.push(args) }));

const { accept, formAction, refuse, validate } = await import("./form-action");

const schema = z.object({ name: z.string().min(1, { error: "Enter a name." }) });

describe("formAction (every server action's shape)", () => {
  it("answers invalid input with field messages and never asks who is calling", async () => {
    const authorize = vi.fn(async () => "alice");
    const run = vi.fn(async () => "done");
    const state = await formAction({ parse: () => validate(schema, { name: "" }, { name: "" }), authorize, run, values: { name: "" } });
    expect(state).toEqual({
      status: "error",
      message: "Please correct the highlighted fields.",
      fieldErrors: { name: "Enter a name." },
      values: { name: "" },
    });
    expect(authorize).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it("authorizes before the use case runs, and lets Next's notFound()/forbidden() through", async () => {
    const refusal = new Error("NEXT_HTTP_ERROR_FALLBACK;403");
    const run = vi.fn(async () => "done");
    await expect(
      formAction({
        parse: () => accept({}),
        authorize: async () => {
          throw refusal;
        },
        run,
      }),
    ).rejects.toBe(refusal);
    expect(run).not.toHaveBeenCalled();
  });

  it("turns a domain refusal into the form's message, with the field and what was typed", async () => {
    const state = await formAction({
      parse: () => accept({ name: "x" }),
      authorize: async () => "alice",
      run: async () => {
        throw new DomainError("conflict", "That name is taken; choose another.", "name");
      },
      values: { name: "x" },
      revalidate: "/never",
    });
    expect(state).toEqual({
      status: "error",
      message: "That name is taken; choose another.",
      fieldErrors: { name: "That name is taken; choose another." },
      values: { name: "x" },
    });
    expect(revalidated).not.toContainEqual(["/never"]);
  });

  it("hands the caller and the parsed input to the use case, revalidates, and returns its message and value", async () => {
    const state = await formAction({
      parse: () => validate(schema, { name: "Leeds" }),
      authorize: async () => "alice",
      run: async (who, input) => ({ message: `${input.name} added by ${who}.`, value: "s3cret" }),
      revalidate: { path: "/orgs/northwind", type: "layout" },
    });
    expect(state).toEqual({ status: "success", message: "Leeds added by alice.", value: "s3cret" });
    expect(revalidated).toContainEqual(["/orgs/northwind", "layout"]);
  });

  it("refuses input with a message on the field named", () => {
    expect(refuse("Unknown office.")).toEqual({ ok: false, state: { status: "error", message: "Unknown office." } });
    expect(refuse("Type the client ID.", { field: "confirmation", values: { a: "b" } })).toEqual({
      ok: false,
      state: { status: "error", message: "Type the client ID.", fieldErrors: { confirmation: "Type the client ID." }, values: { a: "b" } },
    });
  });
});
