import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

export interface BffAppOptions {
  /** The upload API (`/api/obo/...`), which answers 404 problems for any path it does not serve: mounted last. */
  readonly uploadApi: RequestHandler;
  /** Application Insights ingestion (`/v2/track`). */
  readonly ingestion: RequestHandler;
}

export interface BffApp {
  readonly app: express.Express;
  /**
   * Mounts a NavMap router (`createNavMapRouter(...)`, or a whole navmap-server app) on the BFF ahead of the upload
   * API, the way the real BFF hosts it: the control reaches both at one base URL. Replaces the one mounted before.
   */
  mountNavMap(router: RequestHandler): void;
}

/**
 * The local BFF: one origin serving the upload API, the Application Insights ingestion and whatever NavMap router
 * it is given. The NavMap router and the ingestion keep their own CORS and sit outside the upload API's token check,
 * faults and counters.
 *
 * @example
 * const bff = createBffApp({ uploadApi: upload.app, ingestion: ingestion.router });
 * bff.mountNavMap(createNavMapRouter(options));
 */
export function createBffApp(options: BffAppOptions): BffApp {
  let navMap: RequestHandler | undefined;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(options.ingestion);
  app.use((request: Request, response: Response, next: NextFunction) => (navMap === undefined ? next() : navMap(request, response, next)));
  app.use(options.uploadApi);
  return {
    app,
    mountNavMap(router) {
      navMap = router;
    },
  };
}
