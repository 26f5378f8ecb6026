// Entry point: the theme and the app shell, which routes to every other element.
import './theme.css';
import './components/app/app.ts';
