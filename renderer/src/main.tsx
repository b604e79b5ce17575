import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { actions } from './store.ts';
import './styles.css';

void actions.init();
createRoot(document.getElementById('root')!).render(<App />);
