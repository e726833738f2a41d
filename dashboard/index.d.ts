/** The folder of the built dashboard: index.html and assets/ (absent until `npm run build`). */
export declare const DASHBOARD_DIST: string;
