import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findWindowLinkboard } from './api/window-linkboard';
import { Root } from './Root';
import { createAuth0Client } from './auth/auth-client';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/views.css';
import './styles/connect.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

createRoot(container).render(
  <StrictMode>
    <Root linkboard={findWindowLinkboard()} createAuthClient={createAuth0Client} />
  </StrictMode>,
);
