import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import "./i18n";
import "./styles.css";
import { App } from "./App";
import { createQueryClient } from "./api/queries";
import { ToastProvider } from "./components/Toast";
import { applyTheme, initialTheme } from "./lib/theme";

applyTheme(initialTheme());
const queryClient = createQueryClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
