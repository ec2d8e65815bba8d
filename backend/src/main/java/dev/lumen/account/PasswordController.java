package dev.lumen.account;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Duration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Any logged-in user changes their own password ({@code /account/password}); their other sessions end, their
 * personal API tokens are revoked unless they untick the box (docs/security.md), and wrong current passwords are
 * throttled like failed logins ({@link LoginThrottle}).
 */
@Controller
class PasswordController {

	private static final String VIEW_PASSWORD = "account/password";

	private final AccountService accounts;

	private final LoginThrottle throttle;

	private final ApiTokens tokens;

	PasswordController(AccountService accounts, LoginThrottle throttle, ApiTokens tokens) {
		this.accounts = accounts;
		this.throttle = throttle;
		this.tokens = tokens;
	}

	@GetMapping("/account/password")
	String initPasswordForm(Principal principal, Model model) {
		model.addAttribute("activeTokens", this.tokens.activeCount(principal.getName()));
		return VIEW_PASSWORD;
	}

	@PostMapping("/account/password")
	String processPasswordForm(@RequestParam String currentPassword, @RequestParam String newPassword,
			@RequestParam(defaultValue = "false") boolean revokeTokens, Principal principal, HttpServletRequest request, RedirectAttributes redirect) {
		// wrong current passwords count like failed logins: a stolen session cannot guess the password quickly
		Duration wait = this.throttle.retryAfter(principal.getName(), request.getRemoteAddr());
		if (!wait.isZero()) {
			redirect.addFlashAttribute("error", "Too many wrong passwords. Try again in "
					+ Math.max(1, (wait.toSeconds() + 59) / 60) + " minutes.");
			return "redirect:/account/password";
		}
		if (!this.accounts.passwordMatches(principal.getName(), currentPassword)) {
			this.throttle.failed(principal.getName(), request.getRemoteAddr());
			redirect.addFlashAttribute("error", "The current password is wrong");
			return "redirect:/account/password";
		}
		try {
			int revoked = this.accounts.changePassword(principal.getName(), principal.getName(), newPassword,
					request.getSession().getId(), revokeTokens);
			redirect.addFlashAttribute("message", "Password changed; your other sessions have ended"
					+ (revoked == 0 ? "" : "; " + revoked + (revoked == 1 ? " API token" : " API tokens") + " revoked"));
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/account/password";
	}
}
