package dev.lumen.account;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Any logged-in user changes their own password ({@code /account/password}). */
@Controller
class PasswordController {

	private static final String VIEW_PASSWORD = "account/password";

	private final AccountService accounts;

	PasswordController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/account/password")
	String initPasswordForm() {
		return VIEW_PASSWORD;
	}

	@PostMapping("/account/password")
	String processPasswordForm(@RequestParam String currentPassword, @RequestParam String newPassword,
			Principal principal, RedirectAttributes redirect) {
		if (!this.accounts.passwordMatches(principal.getName(), currentPassword)) {
			redirect.addFlashAttribute("error", "The current password is wrong");
			return "redirect:/account/password";
		}
		try {
			this.accounts.changePassword(principal.getName(), principal.getName(), newPassword);
			redirect.addFlashAttribute("message", "Password changed");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/account/password";
	}
}
