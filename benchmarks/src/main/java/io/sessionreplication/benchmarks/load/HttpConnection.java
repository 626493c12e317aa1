package io.sessionreplication.benchmarks.load;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection of the load benchmark's client to a node, on a plain
 * socket: it sends {@code GET} requests, each in one write, and reads their answers into
 * one buffer that it reuses, so that the client costs little CPU per request next to the
 * nodes it measures. It reads what the nodes send: a status line, headers, and a body of
 * a {@code Content-Length} or in chunks. It reconnects when the node closed the
 * connection after an answer ({@code Connection: close}) or the previous request failed.
 * <p>
 * It is not a general HTTP client: no TLS, no redirects, no request body, no
 * {@code 100 Continue}, no pipelining; an answer's head and body must fit
 * {@link #MAX_ANSWER} bytes. Not thread-safe: one worker drives it.
 */
final class HttpConnection implements Closeable {

	/** The largest answer, head and body, that a connection reads. */
	static final int MAX_ANSWER = 64 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final InetSocketAddress address;

	private final byte[] buffer = new byte[MAX_ANSWER];

	private final String hostHeader;

	private @Nullable Socket socket;

	private @Nullable InputStream in;

	private @Nullable OutputStream out;

	/** Where the next byte of {@link #buffer} to parse is. */
	private int position;

	/** How many bytes of {@link #buffer} hold what was read. */
	private int limit;

	private long connects;

	HttpConnection(String host, int port) {
		this.address = new InetSocketAddress(host, port);
		this.hostHeader = "Host: " + host + ":" + port + "\r\n";
	}

	/**
	 * Send {@code GET path} with a cookie and read the answer.
	 * @param path the path
	 * @param cookie the {@code Cookie} header's value, or {@code null} for none
	 * @return the answer
	 * @throws IOException if the connection failed or the answer is not one this client
	 * reads; the next request opens a new connection
	 */
	Answer get(String path, @Nullable String cookie) throws IOException {
		try {
			connectIfClosed();
			this.out.write(request(path, cookie));
			this.out.flush();
			this.position = 0;
			this.limit = 0;
			return readAnswer();
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw (ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex);
		}
	}

	/**
	 * How many times this connection connected, the first time included.
	 * @return the count
	 */
	long connects() {
		return this.connects;
	}

	@Override
	public void close() {
		Socket open = this.socket;
		this.socket = null;
		this.in = null;
		this.out = null;
		if (open != null) {
			try {
				open.close();
			}
			catch (IOException ex) {
				// closing: nothing left to do
			}
		}
	}

	private void connectIfClosed() throws IOException {
		if (this.socket != null) {
			return;
		}
		Socket opened = new Socket();
		try {
			opened.setTcpNoDelay(true);
			opened.setSoTimeout(READ_TIMEOUT_MILLIS);
			opened.connect(this.address, CONNECT_TIMEOUT_MILLIS);
		}
		catch (IOException ex) {
			opened.close();
			throw ex;
		}
		this.socket = opened;
		this.in = opened.getInputStream();
		this.out = opened.getOutputStream();
		this.connects++;
	}

	private byte[] request(String path, @Nullable String cookie) {
		StringBuilder request = new StringBuilder(128).append("GET ")
			.append(path)
			.append(" HTTP/1.1\r\n")
			.append(this.hostHeader);
		if (cookie != null) {
			request.append("Cookie: ").append(cookie).append("\r\n");
		}
		return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	private Answer readAnswer() throws IOException {
		String statusLine = readLine();
		if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
			throw new IOException("Not an HTTP/1.1 status line: " + abbreviated(statusLine));
		}
		int status = parseInt(statusLine, 9, 12);
		long contentLength = -1;
		boolean chunked = false;
		boolean close = false;
		String setCookie = null;
		for (String line = readLine(); !line.isEmpty(); line = readLine()) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("Not a header: " + abbreviated(line));
			}
			String value = line.substring(colon + 1).trim();
			if (isHeader(line, colon, "Content-Length")) {
				contentLength = parseInt(value, 0, value.length());
			}
			else if (isHeader(line, colon, "Transfer-Encoding")) {
				chunked = value.equalsIgnoreCase("chunked");
			}
			else if (isHeader(line, colon, "Connection")) {
				close = value.equalsIgnoreCase("close");
			}
			else if (isHeader(line, colon, "Set-Cookie") && setCookie == null) {
				int end = value.indexOf(';');
				setCookie = (end >= 0) ? value.substring(0, end) : value;
			}
		}
		String body = chunked ? readChunks() : readBody(contentLength);
		if (close) {
			close();
		}
		return new Answer(status, setCookie, body);
	}

	private String readBody(long contentLength) throws IOException {
		if (contentLength < 0) {
			throw new IOException("An answer with neither Content-Length nor chunks");
		}
		int length = checkedLength(contentLength);
		fill(length);
		String body = new String(this.buffer, this.position, length, StandardCharsets.UTF_8);
		this.position += length;
		return body;
	}

	private String readChunks() throws IOException {
		StringBuilder body = new StringBuilder();
		while (true) {
			String sizeLine = readLine();
			int extension = sizeLine.indexOf(';');
			String hex = ((extension >= 0) ? sizeLine.substring(0, extension) : sizeLine).trim();
			if (hex.isEmpty() || hex.length() > 4) {
				throw new IOException("Not a chunk size: " + abbreviated(sizeLine));
			}
			int size = checkedLength(Integer.parseInt(hex, 16));
			if (size == 0) {
				while (!readLine().isEmpty()) {
					// trailers: none read
				}
				return body.toString();
			}
			fill(size);
			body.append(new String(this.buffer, this.position, size, StandardCharsets.UTF_8));
			this.position += size;
			if (!readLine().isEmpty()) {
				throw new IOException("A chunk longer than its size");
			}
		}
	}

	private int checkedLength(long length) throws IOException {
		if (length > MAX_ANSWER) {
			throw new IOException("An answer body of " + length + " bytes, more than " + MAX_ANSWER);
		}
		return (int) length;
	}

	/** Read a line ending in CRLF, without it. */
	private String readLine() throws IOException {
		int from = this.position;
		while (true) {
			for (int i = from; i + 1 < this.limit; i++) {
				if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n') {
					String line = new String(this.buffer, this.position, i - this.position,
							StandardCharsets.ISO_8859_1);
					this.position = i + 2;
					return line;
				}
			}
			from = Math.max(this.position, this.limit - 1);
			readMore();
		}
	}

	/** Make sure that {@code length} bytes from {@link #position} are in the buffer. */
	private void fill(int length) throws IOException {
		while (this.limit - this.position < length) {
			readMore();
		}
	}

	private void readMore() throws IOException {
		if (this.limit == this.buffer.length) {
			throw new IOException("An answer of more than " + MAX_ANSWER + " bytes");
		}
		int read = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (read < 0) {
			throw new EOFException("The node closed the connection in an answer");
		}
		this.limit += read;
	}

	private static boolean isHeader(String line, int colon, String name) {
		return colon == name.length() && line.regionMatches(true, 0, name, 0, colon);
	}

	private static int parseInt(String text, int from, int to) throws IOException {
		if (from >= to || to - from > 9) {
			throw new IOException("Not a number: " + abbreviated(text));
		}
		int value = 0;
		for (int i = from; i < to; i++) {
			char digit = text.charAt(i);
			if (digit < '0' || digit > '9') {
				throw new IOException("Not a number: " + abbreviated(text));
			}
			value = value * 10 + (digit - '0');
		}
		return value;
	}

	private static String abbreviated(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
	}

	@Override
	public String toString() {
		return "HTTP connection to " + this.address + " (" + this.connects + " connects)";
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param setCookie the first cookie the answer set, as {@code name=value}, or
	 * {@code null}
	 * @param body the body
	 */
	record Answer(int status, @Nullable String setCookie, String body) {
	}

}
