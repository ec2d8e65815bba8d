package dev.lumen.account;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** User management for admins ({@code /admin/users}; the security configuration requires ADMIN). */
@Controller
class UserAdminController {

	private static final String VIEW_USERS = "account/users";

	private static final String REDIRECT_USERS = "redirect:/admin/users";

	private final AccountService accounts;

	UserAdminController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/admin/users")
	String listUsers(Model model) {
		model.addAttribute("users", this.accounts.all());
		model.addAttribute("roles", Role.values());
		return VIEW_USERS;
	}

	@PostMapping("/admin/users")
	String processCreateUser(@RequestParam String username, @RequestParam String password, @RequestParam Role role,
			Principal principal, RedirectAttributes redirect) {
		return apply(redirect, () -> this.accounts.create(principal.getName(), username, password, role),
				"Created user '" + username.strip() + "'");
	}

	@PostMapping("/admin/users/{id}/role")
	String processChangeRole(@PathVariable long id, @RequestParam Role role, Principal principal, RedirectAttributes redirect) {
		return apply(redirect, () -> this.accounts.changeRole(principal.getName(), id, role), "Role changed");
	}

	@PostMapping("/admin/users/{id}/enabled")
	String processSetEnabled(@PathVariable long id, @RequestParam boolean enabled, Principal principal,
			RedirectAttributes redirect) {
		return apply(redirect, () -> this.accounts.setEnabled(principal.getName(), id, enabled),
				enabled ? "User enabled" : "User disabled");
	}

	private static String apply(RedirectAttributes redirect, Runnable change, String success) {
		try {
			change.run();
			redirect.addFlashAttribute("message", success);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return REDIRECT_USERS;
	}
}
