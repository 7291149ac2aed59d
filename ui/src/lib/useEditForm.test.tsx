import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiFailure } from "../api/client";
import type { ApiError } from "../api/types";
import { navigate, resetRouterForTests, useRoute } from "./router";
import { splitFieldErrors, useEditForm } from "./useEditForm";

const refused = (fields: { field: string; message: string }[], code: ApiError["code"] = "validation") =>
  new ApiFailure({ code, message: "Some fields need attention.", fields, details: null });

describe("splitFieldErrors", () => {
  it("keeps the field messages that were not placed, and the rest of the error", () => {
    const placed: string[] = [];
    const left = splitFieldErrors(
      refused([
        { field: "name", message: "taken" },
        { field: "elsewhere", message: "not on this form" },
      ]),
      (field, message) => {
        if (field !== "name") return false;
        placed.push(`${field}: ${message}`);
        return true;
      },
    );
    expect(placed).toEqual(["name: taken"]);
    expect(left).toEqual({ code: "validation", message: "Some fields need attention.", fields: [{ field: "elsewhere", message: "not on this form" }], details: null });
  });

  it("turns anything thrown into an error for the error box", () => {
    const left = splitFieldErrors(new Error("boom"), () => true);
    expect(left.code).toBe("internal");
    expect(left.fields).toEqual([]);
  });
});

const schema = z.object({ name: z.string().trim().min(1, "required"), note: z.string() });
type Values = z.input<typeof schema>;

function useTestForm(focusServerErrors = false) {
  return useEditForm<Values>({
    schema,
    defaultValues: { name: "Ana", note: "" },
    fieldOf: (field) => (field === "name" || field === "note" ? field : null),
    focusServerErrors,
  });
}

describe("useEditForm", () => {
  beforeEach(() => {
    window.history.replaceState(null, "", "#/partners/1");
    resetRouterForTests();
  });

  it("saves valid values and clears the last error", async () => {
    const { result } = renderHook(() => useTestForm());
    const saved: Values[] = [];
    act(() => result.current.setApiError(refused([]).error));
    expect(result.current.apiError).not.toBeNull();
    await act(() => result.current.submit(async (v) => void saved.push(v))());
    expect(saved).toEqual([{ name: "Ana", note: "" }]);
    expect(result.current.apiError).toBeNull();
  });

  it("does not save what the schema refuses, and shows the message at the field", async () => {
    const { result } = renderHook(() => useTestForm());
    let calls = 0;
    act(() => result.current.form.setValue("name", "  ", { shouldDirty: true }));
    await act(() => result.current.submit(async () => void calls++)());
    expect(calls).toBe(0);
    expect(result.current.form.formState.errors.name?.message).toBe("required");
  });

  it("puts the backend's field messages at their fields and the rest in apiError", async () => {
    const { result } = renderHook(() => useTestForm());
    await act(() =>
      result.current.submit(async () => {
        throw refused([
          { field: "note", message: "too rude" },
          { field: "owner", message: "unknown owner" },
        ]);
      })(),
    );
    expect(result.current.form.formState.errors.note).toMatchObject({ type: "server", message: "too rude" });
    expect(result.current.apiError?.fields).toEqual([{ field: "owner", message: "unknown owner" }]);
  });

  it("keeps the whole error when it is not about fields", async () => {
    const { result } = renderHook(() => useTestForm());
    await act(() =>
      result.current.submit(async () => {
        throw refused([], "storage");
      })(),
    );
    expect(result.current.apiError).toMatchObject({ code: "storage", fields: [] });
    expect(result.current.form.formState.errors).toEqual({});
  });

  it("holds back leaving while there are unsaved changes, not before", async () => {
    const route = renderHook(() => useRoute());
    const { result } = renderHook(() => useTestForm());

    act(() => navigate("/partners"));
    expect(route.result.current.path).toBe("/partners");
    act(() => navigate("/partners/1"));

    act(() => result.current.form.setValue("note", "changed", { shouldDirty: true }));
    await waitFor(() => expect(result.current.form.formState.isDirty).toBe(true));
    act(() => navigate("/settings"));
    expect(route.result.current.path).toBe("/partners/1");
    expect(result.current.guard.pending).toBe("/settings");

    act(() => result.current.guard.proceed());
    expect(route.result.current.path).toBe("/settings");
  });
});

function NoteForm({ focus }: { focus: boolean }) {
  const { form, submit } = useTestForm(focus);
  const onSubmit = submit(async () => {
    throw refused([{ field: "note", message: "too rude" }]);
  });
  return (
    <form onSubmit={onSubmit} data-testid="form">
      <input data-testid="name" {...form.register("name")} />
      <input data-testid="note" {...form.register("note")} />
      <p>{form.formState.errors.note?.message}</p>
    </form>
  );
}

describe("useEditForm focus", () => {
  it.each([
    [true, "note"],
    [false, null],
  ] as const)("moves the focus to the field the backend refused only when asked (%s)", async (focus, expected) => {
    render(<NoteForm focus={focus} />);
    fireEvent.submit(screen.getByTestId("form"));
    await screen.findByText("too rude");
    expect(document.activeElement?.getAttribute("data-testid") ?? null).toBe(expected);
  });
});
