package dev.lumen.system;

/**
 * Anonymous readers get no session: the CSRF token, which lives in the session, is put on a page only for a
 * logged-in user or when the page has a form an anonymous user can post (the login form, the playground). Such a
 * page's controller adds the model attribute {@value #MODEL_ATTRIBUTE}; the layout reads it.
 */
public final class AnonymousForms {

	/** Model attribute (any value) that makes the layout carry the CSRF token for anonymous users. */
	public static final String MODEL_ATTRIBUTE = "lumenPostsForms";

	private AnonymousForms() {
	}
}
