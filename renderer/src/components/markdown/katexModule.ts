// KaTeX and its stylesheet (fonts included, bundled as files: the CSP allows fonts from 'self' only).
import 'katex/dist/katex.min.css';
export { default } from 'katex';
