import { render, waitFor } from '@testing-library/react';
import App from './App';

describe('App', () => {
  beforeEach(() => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };
  });

  it('should render', async () => {
    const rendered = render(App.createRoot());

    await waitFor(() => {
      expect(rendered.baseElement).toBeInTheDocument();
    });
  });

  it('offers the guest, who owns the examples, the read-only viewer and an operator', async () => {
    const rendered = render(App.createRoot());

    const viewer = await rendered.findByText('Viewer (read-only)');
    expect(rendered.getByText('Operator (platform team)')).toBeInTheDocument();
    expect(
      rendered.getByText(/Owns the examples \(through the platform team\)/),
    ).toBeInTheDocument();
    const buttons = rendered.getAllByRole('button');
    // The guest's Enter comes first: the README's "press Enter" signs in as the guest.
    expect(buttons.map(b => b.textContent)).toEqual([
      'Enter',
      'Sign In',
      'Sign In',
    ]);
    expect(viewer).toBeInTheDocument();
  });
});
