import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Commands, JobInfo } from "../../api/types";

const call = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, call: (...a: unknown[]) => call(...a) };
});

import { progressStore } from "../../api/queries";
import { renderWithProviders } from "../../test/render";
import { JobsTab } from "./JobsTab";

const jobs: JobInfo[] = [
  {
    id: 1,
    kind: "new_permits",
    connection_id: 4,
    connection_name: "Bandung",
    schedule: { kind: "every", minutes: 15 },
    enabled: true,
    running: false,
    last_run: null,
    next_due_at: new Date(Date.now() + 12 * 60_000).toISOString(),
  },
  {
    id: 2,
    kind: "log_cleanup",
    connection_id: null,
    connection_name: null,
    schedule: { kind: "daily", at: "03:00" },
    enabled: false,
    running: false,
    last_run: null,
    next_due_at: null,
  },
];

beforeEach(() => {
  progressStore.clear();
  call.mockReset();
  call.mockImplementation(async (cmd: keyof Commands, args: unknown) => {
    switch (cmd) {
      case "list_jobs":
        return jobs;
      case "get_settings":
        return { office_timezone: "Asia/Jakarta", language: "en", theme: "light", log_retention_days: 30, close_to_tray: false };
      case "run_job":
        return 77;
      case "cancel_run":
        return null;
      case "save_job":
        return { ...jobs[0]!, ...(args as object) };
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
});

describe("jobs tab", () => {
  it("lists jobs with schedule and next run, runs one and shows its live progress and Cancel", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<JobsTab />);
    const row = await screen.findByTestId("job-row-new_permits-4");
    expect(within(row).getByText("Every 15 min")).toBeInTheDocument();
    expect(within(row).getByText("in 12 minutes")).toBeInTheDocument();
    expect(screen.getByTestId("job-row-log_cleanup-local")).toHaveTextContent("Disabled");

    await user.click(screen.getByTestId("btn-run-1"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("run_job", { id: 1 }));
    const bar = await screen.findByTestId("progress-77");
    expect(screen.getByTestId("btn-run-1")).toBeDisabled();

    act(() =>
      progressStore.update({
        run_id: 77,
        job: "new_permits",
        connection_id: 4,
        done: 50,
        total: 200,
        rate_per_sec: 9.87,
        eta_seconds: 15,
        stage: "Reading page 2",
      }),
    );
    expect(bar).toHaveAttribute("data-done", "50");
    expect(bar).toHaveAttribute("data-total", "200");
    expect(bar).toHaveTextContent("9.9 /s");
    expect(bar).toHaveTextContent("about 15 s left");

    await user.click(screen.getByTestId("btn-cancel-77"));
    await waitFor(() => expect(call).toHaveBeenCalledWith("cancel_run", { run_id: 77 }));
  });

  it("edits a schedule in a dialog that Esc closes", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<JobsTab />);
    await user.click(await screen.findByTestId("btn-schedule-1"));
    const dialog = await screen.findByTestId("dialog-schedule");
    await user.click(within(dialog).getByTestId("schedule-kind-daily"));
    const at = within(dialog).getByTestId("schedule-at");
    // An emptied time field (the browser clears an impossible time) must be caught.
    fireEvent.change(at, { target: { value: "" } });
    await user.click(within(dialog).getByTestId("btn-save-schedule"));
    expect(await within(dialog).findByText("Enter a time of day like 09:30.")).toBeInTheDocument();
    await user.clear(at);
    await user.type(at, "06:30");
    await user.click(within(dialog).getByTestId("btn-save-schedule"));
    await waitFor(() =>
      expect(call).toHaveBeenCalledWith("save_job", { id: 1, schedule: { kind: "daily", at: "06:30" }, enabled: true }),
    );
    await waitFor(() => expect(screen.queryByTestId("dialog-schedule")).toBeNull());

    await user.click(screen.getByTestId("btn-schedule-1"));
    await screen.findByTestId("dialog-schedule");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("dialog-schedule")).toBeNull();
  });
});
