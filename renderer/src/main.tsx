import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { start } from './state/start.ts';
import './styles.css';

start();
createRoot(document.getElementById('root')!).render(<App />);
