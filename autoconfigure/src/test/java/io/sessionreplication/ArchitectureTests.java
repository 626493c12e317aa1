package io.sessionreplication;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the layering of the main classes: the engine knows neither JGroups nor Spring
 * Boot, and only the JGroups package knows JGroups.
 */
class ArchitectureTests {

	private static final String ROOT = "io.sessionreplication";

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages(ROOT);
		assertThat(classes.contain(ReplicatedSessionRepository.class)).isTrue();
		assertThat(classes.contain(ArchitectureTests.class)).isFalse();
	}

	@Test
	void onlyTheJGroupsPackageDependsOnJGroups() {
		classes().that()
			.resideOutsideOfPackage(ROOT + ".jgroups..")
			.should(ArchConditions.onlyHaveDependenciesWhere(DescribedPredicate.describe("the target is not in JGroups",
					(Dependency dependency) -> !dependency.getTargetClass()
						.getPackageName()
						.startsWith("org.jgroups"))))
			.check(classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().assignedFrom(new TopLevelPackages()).should().beFreeOfCycles().check(classes);
	}

	@Test
	void autoConfigurationsArePublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
	}

	@Test
	void engineDependsNeitherOnTheAutoConfigurationNorOnSpringBoot() {
		noClasses().that()
			.resideInAPackage(ROOT)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".autoconfigure..", ROOT + ".jgroups..", "org.springframework.boot..")
			.check(classes);
	}

	@Test
	void onlyTheAutoConfigurationDependsOnSpringBoot() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("are in Spring Boot",
					(JavaClass javaClass) -> javaClass.getPackageName().startsWith("org.springframework.boot")))
			.check(classes);
	}

	/**
	 * One slice for the engine ({@code io.sessionreplication} itself) and one for each of
	 * its subpackages, with everything below it.
	 */
	private static final class TopLevelPackages implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String packageName = javaClass.getPackageName();
			if (packageName.equals(ROOT)) {
				return SliceIdentifier.of("engine");
			}
			if (packageName.startsWith(ROOT + ".")) {
				return SliceIdentifier.of(packageName.substring(ROOT.length() + 1).split("\\.")[0]);
			}
			return SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return ROOT + " and each of its subpackages";
		}

	}

}
