import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useSaveJob, useSettings } from "../../api/queries";
import type { JobInfo, Schedule } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";

const scheduleSchema = z
  .object({
    kind: z.enum(["daily", "every", "manual"]),
    at: z.string(),
    minutes: z.number(),
    enabled: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "daily" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(v.at))
      ctx.addIssue({ code: "custom", path: ["at"], message: "validation.timeInvalid" });
    if (v.kind === "every" && !(Number.isInteger(v.minutes) && v.minutes >= 1 && v.minutes <= 10080))
      ctx.addIssue({ code: "custom", path: ["minutes"], message: "validation.minutesRange" });
  });

type Values = z.input<typeof scheduleSchema>;

function toValues(job: JobInfo): Values {
  const s = job.schedule;
  return {
    kind: s.kind,
    at: s.kind === "daily" ? s.at : "09:00",
    minutes: s.kind === "every" ? s.minutes : 15,
    enabled: job.enabled,
  };
}

function toSchedule(v: Values): Schedule {
  if (v.kind === "daily") return { kind: "daily", at: v.at };
  if (v.kind === "every") return { kind: "every", minutes: v.minutes };
  return { kind: "manual" };
}

/** Edits when a job runs: daily at HH:MM, every N minutes, or by hand only. */
export function ScheduleDialog({ job, onClose }: { job: JobInfo; onClose: () => void }) {
  const { t } = useTranslation();
  const { data: settings } = useSettings();
  const save = useSaveJob();
  const [error, setError] = useState<unknown>(null);
  const { register, handleSubmit, watch, formState } = useForm<Values>({
    resolver: zodResolver(scheduleSchema),
    defaultValues: toValues(job),
  });
  const kind = watch("kind");

  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await save.mutateAsync({ id: job.id, schedule: toSchedule(v), enabled: v.enabled });
      onClose();
    } catch (e) {
      setError(e);
    }
  });

  const jobLabel = `${t(`job.${job.kind}`)}${job.connection_name ? ` — ${job.connection_name}` : ""}`;

  return (
    <Dialog
      title={t("schedule.dialogTitle", { job: jobLabel })}
      onClose={onClose}
      testId="dialog-schedule"
      footer={
        <>
          <button type="submit" form="schedule-form" className="btn btn-primary" disabled={save.isPending} data-testid="btn-save-schedule">
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
        </>
      }
    >
      <form id="schedule-form" onSubmit={(e) => void onSubmit(e)} noValidate className="stack">
        {error ? <ErrorBox error={error} /> : null}
        <fieldset className="radio-group">
          <legend>{t("schedule.when")}</legend>
          {(
            [
              ["daily", t("schedule.kindDaily")],
              ["every", t("schedule.kindEvery")],
              ["manual", t("schedule.kindManual")],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="radio">
              <input type="radio" value={value} data-testid={`schedule-kind-${value}`} {...register("kind")} />
              {label}
            </label>
          ))}
        </fieldset>
        {kind === "daily" ? (
          <Field label={t("schedule.at")} name="at" error={formState.errors.at?.message} hint={t("schedule.timezoneNote", { tz: settings?.office_timezone ?? "UTC" })}>
            <input type="time" step={60} className="num" data-testid="schedule-at" {...register("at")} />
          </Field>
        ) : null}
        {kind === "every" ? (
          <Field label={t("schedule.minutes")} name="minutes" error={formState.errors.minutes?.message}>
            <input type="number" min={1} max={10080} step={1} className="num" data-testid="schedule-minutes" {...register("minutes", { valueAsNumber: true })} />
          </Field>
        ) : null}
        <div className="field field-check">
          <label>
            <input type="checkbox" data-testid="schedule-enabled" {...register("enabled")} />
            {t("schedule.enabled")}
          </label>
          <p className="hint">{t("schedule.enabledHint")}</p>
        </div>
        {kind !== "manual" ? <p className="hint">{t("schedule.catchUpNote")}</p> : null}
      </form>
    </Dialog>
  );
}
