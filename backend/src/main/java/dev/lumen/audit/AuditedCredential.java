package dev.lumen.audit;

/**
 * An authentication that is not the user's own login (a personal API token). {@link AuditLog} appends
 * {@link #auditName()} to the actor of every row written while it is the current authentication, so the log says
 * which token did what.
 */
public interface AuditedCredential {

	/** @return the user's name, as controllers pass it to services as the actor */
	String getName();

	/** @return how the log names the credential, e.g. {@code token #3 "nightly export"} */
	String auditName();
}
