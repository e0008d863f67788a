import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import RevealPii from './RevealPii';
import { json, mockApi, renderWithProviders } from '../test/utils';

describe('masked personal data', () => {
  it('offers no reveal action without the permission', () => {
    mockApi({});
    renderWithProviders(<RevealPii teacherId={5} masked="510104********1234" field="id_card" canReveal={false} name="张明" />);
    expect(screen.getByTestId('id_card-5')).toHaveTextContent('510104********1234');
    expect(screen.queryByTestId('reveal-id_card-5')).toBeNull();
  });

  it('asks for confirmation before the audited reveal call, and cancelling calls nothing', async () => {
    const calls = mockApi({ 'POST /api/teachers/5/reveal': () => json({ id: 5, id_card: '510104198503120111', phone: '13800000011' }) });
    renderWithProviders(<RevealPii teacherId={5} masked="510104********0111" field="id_card" canReveal name="张明" />);
    fireEvent.click(screen.getByTestId('reveal-id_card-5'));
    expect(await screen.findByText(/此操作将被记录到审计日志/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /取\s*消/ }));
    await waitFor(() => expect(screen.queryByText(/此操作将被记录到审计日志/)).toBeNull());
    expect(calls.length).toBe(0);

    fireEvent.click(screen.getByTestId('reveal-id_card-5'));
    fireEvent.click(await screen.findByRole('button', { name: '确认查看' }));
    await waitFor(() => expect(screen.getByTestId('id_card-5')).toHaveTextContent('510104198503120111'));
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(['POST /api/teachers/5/reveal']);
  });
});
