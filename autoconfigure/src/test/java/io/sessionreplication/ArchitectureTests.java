package io.sessionreplication;

import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.sessionreplication.session.ReplicatedSessionRepository;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the layering of the main classes: one package per concern, dependencies that
 * point one way (autoconfigure, then metrics, then session, replication, store and wire;
 * replication also uses cluster, whose JGroups implementation only the auto-configuration
 * knows), only the JGroups package knows JGroups and only the auto-configuration knows
 * Spring Boot.
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
			.resideOutsideOfPackage(ROOT + ".cluster.jgroups..")
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
	void dependenciesPointOneWay() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.ensureAllClassesAreContainedInArchitecture()
			.layer("autoconfigure")
			.definedBy(ROOT + ".autoconfigure..")
			.layer("metrics")
			.definedBy(ROOT + ".metrics..")
			.layer("session")
			.definedBy(ROOT + ".session..")
			.layer("replication")
			.definedBy(ROOT + ".replication..")
			.layer("store")
			.definedBy(ROOT + ".store..")
			.layer("wire")
			.definedBy(ROOT + ".wire..")
			.layer("cluster")
			.definedBy(ROOT + ".cluster")
			.layer("jgroups")
			.definedBy(ROOT + ".cluster.jgroups..")
			.whereLayer("autoconfigure")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("metrics")
			.mayOnlyAccessLayers("replication", "store", "wire", "cluster")
			.whereLayer("session")
			.mayOnlyAccessLayers("replication", "store", "wire", "cluster")
			.whereLayer("replication")
			.mayOnlyAccessLayers("store", "wire", "cluster")
			.whereLayer("store")
			.mayOnlyAccessLayers("wire")
			.whereLayer("wire")
			.mayNotAccessAnyLayer()
			.whereLayer("cluster")
			.mayNotAccessAnyLayer()
			.whereLayer("jgroups")
			.mayOnlyAccessLayers("cluster")
			.check(classes);
	}

	@Test
	void everyPackageHasAPackageInfoAndIsNullMarked() {
		Set<String> packages = new TreeSet<>();
		classes.forEach((javaClass) -> packages.add(javaClass.getPackageName()));
		assertThat(packages).allSatisfy((packageName) -> {
			JavaPackage javaPackage = classes.getPackage(packageName);
			assertThat(javaPackage.tryGetPackageInfo()).as("package-info of %s", packageName).isPresent();
			assertThat(javaPackage.isAnnotatedWith(NullMarked.class)).as("%s is @NullMarked", packageName).isTrue();
		});
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
	 * One slice for each subpackage of {@code io.sessionreplication}, with everything
	 * below it.
	 */
	private static final class TopLevelPackages implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String packageName = javaClass.getPackageName();
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
