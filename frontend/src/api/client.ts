import createClient from 'openapi-fetch';
import type { paths, components } from './schema';
import { apiOrigin, apiUrl, authFetch, refreshOnce } from './http';
import { getAccessToken } from './tokens';
import { ApiError, apiErrorOf, errorFromResponse, toProblem } from './problem';

export type Schemas = components['schemas'];

export const api = createClient<paths>({
  baseUrl: apiOrigin(),
  fetch: (request: Request) => authFetch(request),
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch result: returns data or throws an ApiError carrying the problem+json body. */
export async function unwrap<T>(promise: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) {
    if (error !== undefined) {
      throw apiErrorOf(toProblem(error, response.status), response);
    }
    throw await errorFromResponse(response);
  }
  return data as T;
}

function fileNameOf(response: Response, fallback: string): string {
  const cd = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/** Downloads a file with the bearer token (a plain link cannot carry it) and saves it through a blob URL. */
export async function downloadFile(path: string, query: Record<string, unknown>, fallbackName: string): Promise<string> {
  const response = await authFetch(new Request(apiUrl(path, query), { method: 'GET' }));
  if (!response.ok) throw await errorFromResponse(response);
  const blob = await response.blob();
  const name = fileNameOf(response, fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/**
 * POSTs a multipart form, or a file as the raw body (`application/octet-stream`), and reports upload progress
 * (fetch cannot); retries once after a token refresh.
 */
export async function uploadWithProgress<T>(
  path: string,
  query: Record<string, unknown>,
  form: FormData | Blob,
  onProgress: (percent: number) => void,
  responseType: 'json' | 'blob' = 'json',
): Promise<T> {
  const send = () =>
    new Promise<XMLHttpRequest>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', apiUrl(path, query));
      const token = getAccessToken();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      if (!(form instanceof FormData)) xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.responseType = responseType === 'blob' ? 'blob' : 'text';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network_error' }));
      xhr.send(form);
    });
  let xhr = await send();
  if (xhr.status === 401 && (await refreshOnce())) xhr = await send();
  onProgress(100);
  if (xhr.status < 200 || xhr.status >= 300) {
    let body: unknown;
    try {
      body = JSON.parse(responseType === 'blob' ? await (xhr.response as Blob).text() : (xhr.responseText as string));
    } catch {
      body = undefined;
    }
    throw new ApiError(toProblem(body, xhr.status));
  }
  if (responseType === 'blob') return xhr.response as T;
  return JSON.parse(xhr.responseText as string) as T;
}
