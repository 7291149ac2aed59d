import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiFailure } from "../api/client";
import { renderWithProviders } from "../test/render";
import { RecordFallback } from "./RecordFallback";

const base = {
  crumbs: [{ label: "Partners", to: "/partners" }],
  idParam: "42",
  onRetry: () => undefined,
  notFound: { icon: "partners" as const, body: "Partners come from permits.", backLabel: "Partners", backTo: "/partners" },
};

const lastCrumb = () => screen.getByRole("heading", { level: 1 }).textContent;

describe("RecordFallback", () => {
  it("reads … and Loading… while the record loads", () => {
    renderWithProviders(<RecordFallback {...base} pending error={null} />);
    expect(lastCrumb()).toBe("…");
    expect(screen.getByText("Loading…")).toBeInTheDocument();
  });

  it("still says Loading… when asked to while a list is fetched again", () => {
    renderWithProviders(<RecordFallback {...base} pending={false} loading error={null} />);
    expect(lastCrumb()).toBe("42");
    expect(screen.getByText("Loading…")).toBeInTheDocument();
  });

  it("shows why loading failed, with a retry", async () => {
    const onRetry = vi.fn();
    const error = new ApiFailure({ code: "storage", message: "The database is busy.", fields: [], details: null });
    renderWithProviders(<RecordFallback {...base} pending={false} error={error} onRetry={onRetry} />);
    expect(lastCrumb()).toBe("42");
    expect(screen.getByTestId("error-box")).toHaveTextContent("The database is busy.");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it("says there is no such record and leads back to the list", async () => {
    renderWithProviders(<RecordFallback {...base} pending={false} error={null} />);
    expect(screen.getByText("Partners come from permits.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Partners" }));
    expect(window.location.hash).toBe("#/partners");
  });
});
