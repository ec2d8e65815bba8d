package dev.lumen.system;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's page for errors it answers before the app sees the request: the status only, in the app's look, with the
 * headers the app's own pages carry, and no server version, exception or stack trace. Tomcat logs such requests at
 * DEBUG only.
 */
public class PlainErrorReportValve extends ErrorReportValve {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
			+ "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

	/** Sets the headers Spring Security puts on the app's pages, for answers written before it runs. */
	static void securityHeaders(jakarta.servlet.http.HttpServletResponse response) {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Cache-Control", "no-store");
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		securityHeaders(response);
		try {
			response.setContentType("text/html;charset=UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lumen · error</title>"
						+ "<link rel=\"stylesheet\" href=\"/css/lumen.css\"></head><body><main class=\"error-page\"><h1>" + status
						+ "</h1><p>The request could not be read (a malformed address or headers).</p>"
						+ "<p><a href=\"/\">Back to the start page</a></p></main></body></html>");
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response is committed: nothing more to say
		}
	}
}
