package dev.lumen.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one place that refuses text with a NUL character (U+0000), which PostgreSQL cannot store in {@code text}
 * ("invalid byte sequence for encoding UTF8: 0x00") and no user means to type: in any query or form parameter
 * (name or value) and in a JSON body (a raw 0x00 byte or a {@code \u0000} escape). Such a request gets 400 with a
 * message on the app's error page (or its JSON error), before any controller, model run or database write. It sits
 * in the security filter chain right after the header writer (SecurityConfiguration).
 */
public class NulByteGuard extends OncePerRequestFilter {

	static final String MESSAGE = "The request contains a NUL character (U+0000), which Lumen cannot store or search for; "
			+ "remove it and try again.";

	/** JSON bodies larger than this are passed on unread (controllers cap their own input). */
	private static final int MAX_SCANNED_BODY = 4 * 1024 * 1024;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpServletRequest checked = request;
		boolean nul = false;
		if (isJson(request) && request.getContentLengthLong() <= MAX_SCANNED_BODY) {
			byte[] body = request.getInputStream().readNBytes(MAX_SCANNED_BODY + 1);
			nul = hasJsonNul(body);
			checked = new ReplayedBody(request, body);
		}
		if (nul || hasNul(checked.getParameterMap())) {
			ErrorMessages.badRequest(request, response, MESSAGE);
			return;
		}
		chain.doFilter(checked, response);
	}

	private static boolean isJson(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.toLowerCase(Locale.ROOT).contains("json");
	}

	private static boolean hasNul(Map<String, String[]> parameters) {
		for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
			if (entry.getKey().indexOf('\0') >= 0) {
				return true;
			}
			for (String value : entry.getValue()) {
				if (value != null && value.indexOf('\0') >= 0) {
					return true;
				}
			}
		}
		return false;
	}

	/** @return whether the JSON text has a 0x00 byte or a {@code \u0000} escape (one not itself escaped) */
	static boolean hasJsonNul(byte[] body) {
		for (int i = 0; i < body.length; i++) {
			if (body[i] == 0) {
				return true;
			}
			if (body[i] == '\\') {
				if (i + 5 < body.length && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0' && body[i + 4] == '0'
						&& body[i + 5] == '0') {
					return true;
				}
				i++; // skip the escaped character, so "\\u0000" (an escaped backslash) is not taken for an escape
			}
		}
		return false;
	}

	/** The request with its already-read JSON body offered again to the controllers. */
	private static final class ReplayedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReplayedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("synchronous body");
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(getInputStream(),
					encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
		}
	}
}
