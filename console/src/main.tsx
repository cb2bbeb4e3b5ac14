import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { Auth, loadConfig } from "./auth/oidc";
import { I18nProvider } from "./i18n/I18n";
import { BASE } from "./router";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

loadConfig(BASE).then(
  (config) =>
    root.render(
      <StrictMode>
        <I18nProvider>
          <App auth={new Auth(config, BASE)} />
        </I18nProvider>
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">{String(error)}</p>),
);
