// fetch for the MCP HTTP transport with a cap on each response body: a server returning 50 MB (or an
// endless stream) is cut off with an error instead of being read into memory whole.
export function cappedFetch(maxBytes: number, onOverflow: (error: Error) => void): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    let seen = 0;
    const capped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen <= maxBytes) return controller.enqueue(chunk);
          const error = new Error(
            `the server sent more than ${Math.round(maxBytes / 1048576)} MB in one response; it was cut off`,
          );
          controller.error(error);
          onOverflow(error);
        },
      }),
    );
    return new Response(capped, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
