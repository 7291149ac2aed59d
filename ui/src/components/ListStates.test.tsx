import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiFailure } from "../api/client";
import { ListStates } from "./ListStates";

const done = { isError: false, error: null, isPending: false, refetch: () => undefined };

describe("ListStates", () => {
  it("shows the failure with a retry, before anything else", () => {
    const refetch = vi.fn();
    const error = new ApiFailure({ code: "storage", message: "The database is busy.", fields: [], details: null });
    render(
      <ListStates query={{ isError: true, error, isPending: false, refetch }} empty={<p>nothing yet</p>} noMatch="no match">
        <table data-testid="table" />
      </ListStates>,
    );
    expect(screen.getByTestId("error-box")).toHaveTextContent("The database is busy.");
    screen.getByRole("button", { name: "Try again" }).click();
    expect(refetch).toHaveBeenCalledOnce();
    expect(screen.queryByTestId("table")).toBeNull();
  });

  it("shows loading, then the empty state, then no match, then the table", () => {
    const { rerender } = render(
      <ListStates query={{ ...done, isPending: true }} empty={null}>
        <table data-testid="table" />
      </ListStates>,
    );
    expect(screen.getByText("Loading…")).toBeInTheDocument();

    rerender(
      <ListStates query={done} empty={<p>nothing yet</p>} noMatch="no match">
        <table data-testid="table" />
      </ListStates>,
    );
    expect(screen.getByText("nothing yet")).toBeInTheDocument();
    expect(screen.queryByText("no match")).toBeNull();

    rerender(
      <ListStates query={done} empty={null} noMatch="no match">
        <table data-testid="table" />
      </ListStates>,
    );
    expect(screen.getByText("no match")).toBeInTheDocument();

    rerender(
      <ListStates query={done} empty={null} noMatch={false}>
        <table data-testid="table" />
      </ListStates>,
    );
    expect(screen.getByTestId("table")).toBeInTheDocument();
  });
});
