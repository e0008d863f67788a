import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** A region code (6 digits) as its name: 510000 → 四川省. */
export function useRegionName(code: string | undefined): string | undefined {
  const region = /^\d{6}$/.test(code ?? '');
  const { data } = useQuery({
    queryKey: ['region', code],
    queryFn: () => unwrap(api.GET('/api/regions/{code}', { params: { path: { code: code! } } })),
    enabled: region,
    staleTime: 10 * 60_000,
    // Out of the reader's scope (404) the code alone is shown: no retry, no error state.
    retry: false,
  });
  return data?.name;
}

/** A node of the tree by name, its code beside it for those who work with codes; the code alone if unreadable. */
export default function NodeName({ code }: { code: string }) {
  const name = useRegionName(code);
  return name ? (
    <span>
      {name} <span className="mono">({code})</span>
    </span>
  ) : (
    <span className="mono">{code}</span>
  );
}
