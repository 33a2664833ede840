// Renderer entry: prepare the local database, then mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { posDb } from './db/instance';
import { ensureSetUp } from './db/setup';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

ensureSetUp(posDb).then(
  () =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (error: unknown) => {
    console.error('PopTill could not open its local database', error);
    root.render(
      <p className="fatal" role="alert">
        PopTill could not open its local database: {String(error)}. Close other PopTill windows and
        reload.
      </p>,
    );
  },
);
