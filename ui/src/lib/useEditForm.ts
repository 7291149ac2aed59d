// What every edit form does around react-hook-form, kept in one place so the forms cannot drift
// apart: check the zod schema on submit and then on every change, hold back leaving the screen
// while there are unsaved changes, and show what the backend refused — messages about the form's
// own fields next to those fields, everything else in the form's error box.
import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { toFailure } from "../api/client";
import type { ApiError } from "../api/types";
import { useLeaveGuard } from "./router";

/**
 * The backend error in `thrown`, less the field messages that `place` put next to their fields
 * (it answers true for those); what is left belongs in the error box.
 */
export function splitFieldErrors(thrown: unknown, place: (field: string, message: string) => boolean): ApiError {
  const err = toFailure(thrown).error;
  return { ...err, fields: err.fields.filter((fe) => !place(fe.field, fe.message)) };
}

export function useEditForm<V extends FieldValues>({
  schema,
  defaultValues,
  fieldOf,
  focusServerErrors = false,
}: {
  schema: z.ZodType<V, V>;
  defaultValues: DefaultValues<V>;
  /** The form field a backend field error belongs to, or null when the form has none for it. */
  fieldOf: (backendField: string) => Path<V> | null;
  /** Move the focus to the first field the backend complained about. */
  focusServerErrors?: boolean;
}) {
  const form = useForm<V>({ resolver: zodResolver(schema), defaultValues, mode: "onSubmit", reValidateMode: "onChange" });
  const { isDirty, isSubmitting } = form.formState;
  const guard = useLeaveGuard(isDirty && !isSubmitting);
  const [apiError, setApiError] = useState<ApiError | null>(null);

  /** Shows a backend error: field messages at their fields, the rest in `apiError`. */
  const showFailure = (thrown: unknown) =>
    setApiError(
      splitFieldErrors(thrown, (field, message) => {
        const name = fieldOf(field);
        if (name == null) return false;
        form.setError(name, { type: "server", message }, focusServerErrors ? { shouldFocus: true } : undefined);
        return true;
      }),
    );

  /** The form's submit handler: validates, clears the last error, saves, shows what failed. */
  const submit = (save: (values: V) => Promise<unknown>) =>
    form.handleSubmit(async (values) => {
      setApiError(null);
      try {
        await save(values);
      } catch (e) {
        showFailure(e);
      }
    });

  return { form, guard, apiError, setApiError, showFailure, submit };
}
