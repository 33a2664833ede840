// Renderer entry: prepare the local database, then mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { posDb } from './db/instance';
import { ensureSetUp } from './db/setup';
import { DropBoard } from './features/drops/DropBoard';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

ensureSetUp(posDb).then(
  () =>
    root.render(
      <StrictMode>
        {/* The drop board runs in its own window or tablet: #board, no login, read-only. */}
        {location.hash.startsWith('#board') ? <DropBoard /> : <App />}
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
